import { defineCheck } from '../check.js';

const provisioning = {
  file: 'datasources.yaml',
  text: 'apiVersion: 1\ndatasources:\n  - name: Prometheus\n    uid: prom-main\n    type: prometheus\n    url: http://prometheus:9090\n',
};
const dashboard = (uid: string) =>
  JSON.stringify({
    uid: 'd',
    title: 'D',
    schemaVersion: 39,
    panels: [
      {
        id: 1,
        type: 'timeseries',
        title: 'Up',
        description: 'targets up',
        gridPos: { x: 0, y: 0, w: 12, h: 8 },
        datasource: { type: 'prometheus', uid },
        fieldConfig: { defaults: { unit: 'short' }, overrides: [] },
        targets: [{ refId: 'A', expr: 'up', datasource: { type: 'prometheus', uid } }],
      },
    ],
  });

export default defineCheck({
  id: 'cross/unknown-datasource',
  severity: 'error',
  summary: 'a dashboard uses a fixed datasource uid that no Grafana datasource provisioning file in the set defines',
  why: 'Grafana shows "Datasource not found" on every such panel. Decidable only when the run includes the datasource provisioning files (and each provisioned datasource has a uid).',
  bad: { file: 'dashboard.json', text: dashboard('prom-old') },
  good: { file: 'dashboard.json', text: dashboard('prom-main') },
  exampleOptions: { with: [provisioning] },
});
