export * from "./tables/users";
export * from "./tables/teams";
export * from "./tables/memberships";
export * from "./tables/api-keys";
export * from "./tables/projects";
export * from "./tables/rate-limits";
export * from "./tables/runs";
