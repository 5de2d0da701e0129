// Files imported `with { type: "text" }` (the reference CSVs, the docs page's
// assets): Bun hands them over as strings, and the compiled binary carries them.
declare module "*.csv" {
  const text: string;
  export default text;
}
declare module "*.css" {
  const text: string;
  export default text;
}
