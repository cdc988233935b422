// The runbooks as the on-call reads them at 3 a.m.: each thing said once, the notification's text
// with readable placeholders instead of Go templates, every query labelled with the sibling it
// belongs to, paths relative to the build's output — and only the markdown the alert-receiver
// renders (its HTML shows no markdown syntax left over).
import { describe, expect, it } from 'vitest';
import { defineConfig } from '../config/define-config.js';
import { defaultConfig } from '../config/mixin-config.js';
import { markdownToHtml } from '../reference-app/alert-receiver/runbooks.js';
import { alertArtifacts } from './artifacts.js';
import { alertSpecs } from './groups.js';
import { readableTemplate } from './runbooks.js';

const team = defineConfig({
  selectors: { vote: { job: 'vote-prod' }, worker: { job: 'worker-prod' }, exporter: { job: 'qexp-prod' } },
  queues: [
    { name: 'ballots', key: 'ballots', warning: 100, critical: 400 },
    { name: 'audit', key: 'audit:*', warning: 10, critical: 50, drainTargetSeconds: 120 },
  ],
  kubernetes: { workerDeployment: 'ballot-worker' },
});

const runbooksOf = (cfg: typeof defaultConfig) =>
  [...alertArtifacts(cfg)].filter(([path]) => path.startsWith('runbooks/'));

describe('runbooks', () => {
  it('show the alert text with <label> and <value> placeholders, not Go templates', () => {
    expect(readableTemplate('{{ $value | humanize }} items wait in queue {{ $labels.queue }}')).toBe(
      '`<value>` items wait in queue `<queue>`',
    );
    expect(readableTemplate('{{$labels.instance}} is {{ $value | humanizePercentage }}')).toBe(
      '`<instance>` is `<value>`',
    );
    // Anything else stays a template, but reads as code.
    expect(readableTemplate('{{ printf "%.2f" $value }}')).toBe('`{{ printf "%.2f" $value }}`');
    for (const cfg of [defaultConfig, team])
      for (const [path, md] of runbooksOf(cfg)) {
        expect(md, path).not.toContain('{{');
        expect(md, path).not.toMatch(/[ \t]$/m);
      }
    const down = new Map(runbooksOf(defaultConfig)).get('runbooks/VoteInstanceDown.md')!;
    expect(down).toContain('The notification says (`<instance>` and `<job>` are filled in from the firing series):');
    expect(down).toContain('> Prometheus cannot scrape `<instance>` of `<job>`');
  });

  it('say what the alert means once', () => {
    for (const spec of alertSpecs(team)) {
      const md = new Map(runbooksOf(team)).get(`runbooks/${spec.alert}.md`)!;
      expect(md.split(spec.runbook.meaning).length - 1, spec.alert).toBe(1);
    }
  });

  it("label each of the alert's expressions with its severity and queue", () => {
    const md = new Map(runbooksOf(team)).get('runbooks/QueueBacklogHigh.md')!;
    const specs = alertSpecs(team).filter((s) => s.alert === 'QueueBacklogHigh');
    expect(specs.length).toBe(4);
    for (const s of specs)
      expect(md).toContain(`${s.severity}, queue ${s.probe.labels.queue}:\n\n\`\`\`promql\n${s.expr}\n\`\`\``);
    expect(md).toContain("The alert's expressions first: every series they return is an alert, pending for its first");
    const single = new Map(runbooksOf(team)).get('runbooks/VoteInstanceDown.md')!;
    expect(single).toContain("The alert's expression first: every series it returns is an alert");
  });

  it('name the autoscaling folders relative to the output, one engine at a time', () => {
    const md = new Map(runbooksOf(team)).get('runbooks/scaling.md')!;
    expect(md).toContain('`k8s/autoscaling/keda/`');
    expect(md).toContain('`k8s/autoscaling/hpa/`');
    expect(md).toContain('Apply one of them, not both');
    expect(md).toContain('`ballot-worker`');
    expect(md).toContain('ballots: 300s, audit: 120s');
    const all = runbooksOf(team)
      .map(([, m]) => m)
      .join('\n');
    expect(all).not.toContain('dist/k8s');
  });

  it('use only the markdown the alert-receiver renders', () => {
    for (const [path, md] of runbooksOf(team)) {
      const html = markdownToHtml(md);
      expect(html, path).toMatch(/^<h1>/);
      expect(html, path).toContain('<h2>');
      // No markdown left over: headings, emphasis, links or fences the renderer does not know.
      expect(html, path).not.toMatch(/^#|\*\*|\]\(|```|\{\{/m);
      // Placeholders are code, not swallowed as HTML tags.
      expect(html, path).not.toMatch(/<(queue|instance|job|value)>/);
    }
  });
});
