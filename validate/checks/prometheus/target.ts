import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'prometheus/target',
  severity: 'error',
  summary: 'a static target whose address (after relabelling) is a URL, not host:port',
  why: 'promtool check config refuses "http://host:9090/metrics" as a target: the scheme and path belong in scheme and metrics_path.',
  bad: {
    file: 'prometheus.yml',
    text: 'scrape_configs:\n  - job_name: api\n    static_configs:\n      - targets: ["http://api:8080/metrics"]\n',
  },
  good: {
    file: 'prometheus.yml',
    text: 'scrape_configs:\n  - job_name: api\n    static_configs:\n      - targets: ["api:8080"]\n',
  },
});
