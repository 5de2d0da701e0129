/** A path pattern (fault rules, POST /admin/requests/find): `*` matches any run of characters, everything else itself; over the whole path. */
export function pathPattern(pattern: string): RegExp {
  const source = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`);
}
