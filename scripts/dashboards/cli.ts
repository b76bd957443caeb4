/**
 * `npm run dashboards`: rewrites dashboards/ (Grafana JSON and provisioning files) from the
 * definitions in this folder. A unit test fails while the files and the code differ.
 */
import { writeGeneratedFile } from '../generated-file';
import { dashboardFiles } from './dashboards';

for (const [file, content] of dashboardFiles()) writeGeneratedFile(file, content);
