import { t } from "elysia";

/** The snapshot calls (docs/reference/sandbox-contract.md, "Snapshots"). */

export const SnapshotParams = t.Object({
  name: t.String({ description: "letters, digits, `_`, `.` and `-`, 1 to 64 (`^[A-Za-z0-9_.-]{1,64}$`); another name gets 422 naming `name`", examples: ["before-test"] }),
});

const SNAPSHOT_EXAMPLE = { name: "before-test", created_at: "2025-01-10T10:42:00Z", size_bytes: 1253376 };

export const SnapshotInfo = t.Object(
  {
    name: t.String(),
    created_at: t.String({ description: "when it was saved (RFC 3339)" }),
    size_bytes: t.Integer(),
  },
  { examples: [SNAPSHOT_EXAMPLE] },
);

export const SnapshotList = t.Array(SnapshotInfo, { description: "newest first", examples: [[SNAPSHOT_EXAMPLE]] });

export const Restored = t.Object(
  {
    name: t.String(),
    restored_at: t.String({ description: "the service's clock when the restore finished" }),
  },
  { examples: [{ name: "before-test", restored_at: "2025-01-10T10:45:00Z" }] },
);

export const Deleted = t.Object({ name: t.String(), deleted: t.Literal(true) }, { examples: [{ name: "before-test", deleted: true }] });

export const ErrorsBody = t.Object(
  { errors: t.Array(t.Object({ title: t.String(), detail: t.String() })) },
  { description: "the errors shape", examples: [{ errors: [{ title: "Not found", detail: "There is no snapshot named 'before-test'" }] }] },
);
