import type { Area } from "../route-table";
import { artifactsArea } from "./artifacts";
import { auditArea } from "./audit";
import { invitesArea } from "./invites";
import { logsArea } from "./logs";
import { metricsArea } from "./metrics";
import { mlflowArtifactArea } from "./mlflow-artifacts";
import { mlflowExperimentsArea } from "./mlflow-experiments";
import { mlflowRegistryArea } from "./mlflow-registry";
import { mlflowRunsArea } from "./mlflow-runs";
import { mlflowSearchArea } from "./mlflow-search";
import { platform } from "./platform";
import { reportsArea } from "./reports";
import { retentionArea } from "./retention";
import { runsArea } from "./runs";
import { shareLinksArea } from "./share-links";
import { usageArea } from "./usage";
import { workspacesArea } from "./workspaces";

// One line per area of the API; a new area adds its file and its line here.
export const areas: Area[] = [
  platform,
  artifactsArea,
  runsArea,
  logsArea,
  metricsArea,
  mlflowExperimentsArea,
  mlflowRunsArea,
  mlflowSearchArea,
  mlflowArtifactArea,
  mlflowRegistryArea,
  invitesArea,
  usageArea,
  retentionArea,
  auditArea,
  reportsArea,
  shareLinksArea,
  workspacesArea,
];
