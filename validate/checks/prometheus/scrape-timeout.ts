import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'prometheus/scrape-timeout',
  severity: 'error',
  summary: 'a scrape_timeout greater than the scrape_interval',
  why: 'Prometheus refuses a scrape config whose timeout exceeds its interval.',
  bad: {
    file: 'prometheus.yml',
    text: 'scrape_configs:\n  - job_name: api\n    scrape_interval: 10s\n    scrape_timeout: 30s\n',
  },
  good: {
    file: 'prometheus.yml',
    text: 'scrape_configs:\n  - job_name: api\n    scrape_interval: 30s\n    scrape_timeout: 10s\n',
  },
});
