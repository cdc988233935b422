import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'prometheus/config',
  severity: 'error',
  summary:
    'a Prometheus config promtool refuses: unknown top-level fields, wrong types, a scrape config without job_name',
  why: 'Prometheus reads its configuration strictly and does not start (or keeps the old config on reload) when it does not load.',
  bad: { file: 'prometheus.yml', text: 'global:\n  scrape_interval: 15s\nscrape_config:\n  - job_name: api\n' },
  good: { file: 'prometheus.yml', text: 'global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: api\n' },
});
