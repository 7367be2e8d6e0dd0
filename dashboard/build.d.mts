export declare function buildDashboard(): Promise<void>;
