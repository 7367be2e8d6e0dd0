export type DashboardBuild = { js: string[]; css: string[]; gzipBytes: number; rawBytes: number };
export declare function buildDashboard(opts?: { quiet?: boolean }): Promise<DashboardBuild>;
