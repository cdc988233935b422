import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'prometheus/duplicate-job',
  severity: 'error',
  summary: 'two scrape configs share a job_name',
  why: 'Prometheus refuses a configuration with two scrape configs of the same job name.',
  bad: { file: 'prometheus.yml', text: 'scrape_configs:\n  - job_name: api\n  - job_name: api\n' },
  good: { file: 'prometheus.yml', text: 'scrape_configs:\n  - job_name: api\n  - job_name: worker\n' },
});
