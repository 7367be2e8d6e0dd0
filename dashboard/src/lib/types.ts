// Shapes of the API's JSON (docs/api/tracking.md and the OpenAPI document).
export type Role = "owner" | "admin" | "member" | "viewer";
export type Scope = "read" | "write" | "admin";
export type Team = { id: string; name: string; plan: string; role: Role };
export type User = { id: string; email: string; name: string | null };
export type Session = { user: User; team: Team; teams: Team[]; scopes: Scope[]; via: string };
export type Project = { id: string; name: string; description: string; created_at: string; updated_at: string };
export type ApiKey = {
  id: string;
  label: string;
  scopes: Scope[];
  user_id: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
};

// JSON cannot carry NaN or ±Infinity: the API sends them as strings.
export type Num = number | "NaN" | "Infinity" | "-Infinity";
export type RunStatus = "running" | "finished" | "failed" | "killed" | "crashed";
export type Summary = { last: Num; min: Num | null; max: Num | null; step: number; count: number };
export type Run = {
  id: string;
  project_id: string;
  name: string;
  status: RunStatus;
  config: Record<string, unknown>;
  tags: string[];
  notes: string;
  git: { commit?: string | null; branch?: string | null; dirty?: boolean | null; remote?: string | null } | null;
  host: string | null;
  system: Record<string, unknown> | null;
  summary: Record<string, Summary>;
  summary_overrides?: Record<string, unknown>;
  exit_code: number | null;
  created_at: string;
  updated_at: string;
  heartbeat_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  // Key-value tags (MLflow's run tags, system ones included), the run this one
  // is nested under, and MLflow's soft delete. Older servers leave them out.
  kv_tags?: Record<string, string>;
  parent_id?: string | null;
  deleted_at?: string | null;
  // Pinned runs are kept by retention (issue 11).
  pinned?: boolean;
};
export type RunDataset = {
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema: string | null;
  profile: string | null;
  tags: Record<string, string>;
  created_at: string;
};
export type MetricInfo = { key: string; count: number; min_step: number; max_step: number; last: Num; min: Num | null; max: Num | null };
export type Bucket = { x0: number; x1: number; min: Num | null; max: Num | null; last: Num; count: number; last_x: number };
export type BucketsReply = {
  key: string;
  x: "step" | "time";
  start: number;
  end: number;
  buckets: number;
  series: { run: string; points: Bucket[] }[];
};
export type LogLine = { n: number; text: string; stream: "stdout" | "stderr"; ts: number | string | null };

// Issue 11: members, invites, usage, retention and the audit log.
export type Member = { user_id: string; email: string; name: string | null; role: Role; joined_at: string };
export type InviteStatus = "pending" | "accepted" | "revoked" | "expired";
export type Invite = {
  id: string;
  role: Exclude<Role, "owner">;
  email: string | null;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  accepted_by: string | null;
  revoked_at: string | null;
  status: InviteStatus;
};
export type InviteLookup = { team_name: string; role: Role; email: string | null; expires_at: string; status: InviteStatus };
export type LimitName = "seats" | "storageBytes" | "metricPointsPerMonth" | "runsPerMonth" | "retentionDays" | "ingestPointsPerSecond" | "apiRequestsPerSecond" | "shareLinkMaxDays";
export type Usage = {
  plan: string;
  limits: Record<LimitName, number>;
  usage: { seats: number; storage_bytes: number; points_this_month: number; runs_this_month: number };
  points_by_day: { day: string; points: number; runs: number }[];
  warnings: { limit: string; used: number; ratio: number; level: "80%" | "100%" }[];
};
export type RetentionRun = { id: string; name: string; project_id: string; created_at: string; deletes_at: string };
export type AuditEvent = {
  id: string;
  at: string;
  actor: { kind: string; user_id: string | null; email: string | null; key_id: string | null };
  action: string;
  resource_type: string;
  resource_id: string | null;
  address: string | null;
  details: Record<string, unknown> | null;
};
