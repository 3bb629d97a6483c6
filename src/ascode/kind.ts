// The one interface every kind of object kept as code implements (kinds/: insights, dashboards,
// actions, cohorts): its file form, canonical form, references by key and remote calls. The
// plan, the state, pull and the apply order are written once against it and know no kind.
// Types only: no logic here.
import type { PostHogClient } from "../client.js";
import type { Json } from "./canonical.js";
import type { Change } from "./diff.js";
import type { KeyMap } from "./keymap.js";
import type { KindName } from "./kind-names.js";
import type { EngineProgress } from "./progress.js";
import type { JsonPath, LocalRef, RefContainer } from "./refs.js";
import type { StateEntry } from "./state.js";

/**
 * What every remote object the engine manages has.
 *
 * @example
 * const seen: RemoteObject = { id: 7, name: "Signups", created_at: "2026-01-01T00:00:00Z" };
 */
export interface RemoteObject {
  id: number;
  name?: string | null;
  created_at?: string | null;
  last_modified_at?: string | null;
  short_id?: string;
}

/**
 * Where a kind's remote calls go: the client, on the resolved numeric project.
 *
 * @example
 * const where: Where = { client: posthog, project: 12345 };
 */
export interface Where {
  client: PostHogClient;
  project: number;
}

/**
 * What a remote object's file form depends on besides the object: which ids are managed under
 * which keys, and (dashboards) the object's state entry.
 *
 * @example
 * const file = kind.toFile(remote, { keys, entry: state.entries["growth"] });
 */
export interface View {
  keys: KeyMap;
  entry?: StateEntry;
}

/**
 * A reference by key in a file: the kind and key it names, and where (a path from the file's root).
 *
 * @example
 * const ref: FileRef = { kind: "cohort", key: "power-users", path: ["filters", "properties", 0, "value"] };
 */
export interface FileRef {
  kind: KindName;
  key: string;
  path: JsonPath;
  /** The kind the place holds, when it differs from the one named (`"action:x"` where a cohort goes). */
  holds?: string;
}

/**
 * A problem of one file the schema cannot express (an insight twice on one dashboard).
 *
 * @example
 * const problem: FileCheck = { path: ["tiles", 3, "insight"], message: "on this dashboard already" };
 */
export interface FileCheck {
  path: JsonPath;
  message: string;
}

/**
 * A text a file keeps beside it (a SQL insight's HogQL in `<key>.sql`): which object holds it,
 * under which property.
 *
 * @example
 * const sql: Sidecar = { extension: ".sql", holder: (raw) => sqlSource(raw), property: "query", what: "the SQL", path: ["query", "source"] };
 */
export interface Sidecar {
  extension: string;
  /** The object of the parsed file holding the text, if the file has one. */
  holder(raw: Record<string, unknown>): Record<string, Json> | undefined;
  property: string;
  /** What the text is, for messages: "the SQL". */
  what: string;
  /** Where the holder is in the file, for messages. */
  path: JsonPath;
}

/**
 * A field of a file that holds project-local ids, and the container refs.ts finds them in.
 *
 * @example
 * const query: RefDocument = { field: "query", container: "query" };
 */
export interface RefDocument {
  field: string;
  container: RefContainer;
}

/**
 * One kind of object kept as code. `F` is its file form, `R` the object as PostHog serves it.
 * Files are compared in their normalized form: canonical, each id of a managed object written
 * as its key reference, so that a file and PostHog's object compare alike in any target.
 *
 * @example
 * const file = kind.normalize(kind.fromDocument(parsed), keys);
 * const same = kind.hash(file) === kind.hash(kind.toFile(remote, { keys }));
 */
export interface ObjectKind<F extends object = object, R extends RemoteObject = RemoteObject> {
  readonly name: KindName;
  /** File name suffixes; the first is the one pull writes. */
  readonly suffixes: readonly string[];
  /** The file's JSON Schema, as shipped in the package (`generated/...`). */
  readonly schemaFile: string;
  /** A text some files keep beside them. */
  readonly sidecar?: Sidecar;
  /** The fields of its file that hold project-local ids (what a copy remaps). */
  readonly documents: readonly RefDocument[];
  /** Writes in several requests (a dashboard and its tiles): an unfinished one is noted in the state. */
  readonly severalSteps?: boolean;
  /** PostHog refuses two live objects with one name (actions): a pruned one goes before the write taking its name. */
  readonly uniqueNames?: boolean;

  /** The canonical file of a parsed (and valid) file. */
  fromDocument(raw: Record<string, unknown>): F;
  /** The file as written: its fields in file order. */
  document(file: F): Json;
  /** A remote object as its file: canonical, managed ids as key references. */
  toFile(remote: R, view: View): F;
  /** The file with each id of a managed object written as its key reference. */
  normalize(file: F, keys: KeyMap): F;
  /** Every key reference the file holds, tiles' insights included. */
  references(file: F): FileRef[];
  /** The project-local ids (numbers) the file holds, reported when it did not come from the target. */
  localRefs(file: F): LocalRef[];
  /** The content hash of a file (what the state's baselines hold): equal for files that are the same object. */
  hash(file: F): string;
  /** What makes a live object no file manages this file's object (besides identical content), or undefined. */
  identity(file: F): string | undefined;
  /** The hash an interrupted create is found again by: what the create itself sent. */
  createdHash(file: F): string;
  /** Field changes from a remote object's file to a file. */
  changes(before: F, after: F): Change[];
  /** Problems of one file the schema cannot express. */
  checks?(file: F): FileCheck[];
  /** What a plan says of creating or updating this file beyond its changes (a static cohort's members). */
  note?(file: F): string | undefined;
  /** Whether the file leaves out part of the object, which pull reports (a static cohort's members). */
  partial?(file: F): boolean;
  /** A key for a remote object pulled for the first time, not in `taken`. */
  keyFor(remote: R, taken: Set<string>): string;
  /** What the state keeps of the object besides its id and hash (a dashboard's tiles). */
  extras?(remote: R, file: F, view: View): Partial<StateEntry>;

  /** Every live object of the project. */
  list(where: Where, progress: EngineProgress): Promise<R[]>;
  /** The object as PostHog has it now, or undefined when it is gone. */
  reread(where: Where, id: number): Promise<R | undefined>;
  /** Creates the object (its key references resolved through `keys`); one request. */
  create(where: Where, file: F, keys: KeyMap): Promise<R>;
  /** Makes `current` match the file: the fields that differ (and, for dashboards, the tiles). */
  update(where: Where, current: R, file: F, view: View): Promise<R>;
  /** Soft-deletes the object. */
  remove(where: Where, current: R): Promise<void>;
}

/**
 * A kind whatever its file and remote types, as the generic engine holds them.
 *
 * @example
 * const byName = new Map<KindName, AnyKind>(KINDS.map((kind) => [kind.name, kind]));
 */
// Method parameters are bivariant: each kind, whatever its own types, is one of these.
export type AnyKind = ObjectKind<object, RemoteObject>;
