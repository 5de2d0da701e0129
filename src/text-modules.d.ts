// Files imported `with { type: "text" }` (the reference CSVs, the docs page's
// stylesheet): Bun hands them over as strings, and the compiled binary carries them.
declare module "*.csv" {
  const text: string;
  export default text;
}
declare module "*.css" {
  const text: string;
  export default text;
}
// Swagger UI's files, imported `with { type: "file" }`: Bun hands over a path
// (inside the compiled binary, a path in its embedded file system).
declare module "swagger-ui-dist/swagger-ui-bundle.js" {
  const path: string;
  export default path;
}
declare module "swagger-ui-dist/swagger-ui.css" {
  const path: string;
  export default path;
}
declare module "swagger-ui-dist/favicon-32x32.png" {
  const path: string;
  export default path;
}
