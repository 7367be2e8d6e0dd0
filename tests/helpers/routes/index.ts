import type { Area } from "../route-table";
import { artifactsArea } from "./artifacts";
import { logsArea } from "./logs";
import { metricsArea } from "./metrics";
import { platform } from "./platform";
import { runsArea } from "./runs";

// One line per area of the API; a new area adds its file and its line here.
export const areas: Area[] = [platform, artifactsArea, runsArea, logsArea, metricsArea];
