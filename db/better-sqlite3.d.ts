// better-sqlite3's platform entry: the same API as the package root, but it
// requires its prebuilt addon by a static path, so `bun build --compile` embeds it.
declare module "better-sqlite3/linux-x64" {
  import Database = require("better-sqlite3");
  export = Database;
}
