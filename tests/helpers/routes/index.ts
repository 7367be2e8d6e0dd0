import type { Area } from "../route-table";
import { platform } from "./platform";

// One line per area of the API; a new area adds its file and its line here.
export const areas: Area[] = [platform];
