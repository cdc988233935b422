/**
 * Which documents of a YAML file the real tool reads. Prometheus (rule and config files),
 * promtool (unit-test files) and Alertmanager decode one YAML document and never look further:
 * a second `---` document is silently dropped, YAML errors in it included (promtool 2.42 says
 * "SUCCESS: 1 rules found" for two documents of one group each; newer Prometheus warns about
 * the extra documents but still loads only the first). Kubernetes manifests are the other way
 * round: every document is an object kubectl applies. So: a file with a Kubernetes object in it
 * is read whole; in any other file, documents after the first are skipped with a
 * `syntax/ignored-document` warning. A document whose top level is a scalar, or a list of rule
 * groups, is refused by every loader: `syntax/top-level`.
 */
import { type Document, isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { Finding } from '../finding.js';
import { locateNode, locateOffset, pairFor, type SourceFile } from './yaml-source.js';

export interface DocumentPlan {
  /** Syntax errors of the documents that are read, warnings for those that are not, refused top levels. */
  findings: Finding[];
  /** A document that is read has a YAML error: the file is not checked further. */
  stop: boolean;
  /** Indexes of documents the checks skip. */
  skip: Set<number>;
}

const has = (map: YAMLMap, key: string): boolean => pairFor(map, key) !== undefined;

/** A Kubernetes object: `apiVersion` and `kind` at the top. */
export const isKubernetesObject = (contents: unknown): boolean =>
  isMap(contents) && has(contents, 'apiVersion') && has(contents, 'kind');

const isEmpty = (doc: Document.Parsed): boolean =>
  doc.contents === null || doc.contents === undefined || (isScalar(doc.contents) && doc.contents.value === null);

/** What reads the first document, for the message. */
function reader(contents: unknown): string {
  const generic = 'Prometheus, Alertmanager and promtool read only the first YAML document of a file:';
  if (!isMap(contents)) return generic;
  if (has(contents, 'groups')) return 'Prometheus and promtool read only the first document of a rule file:';
  if (has(contents, 'tests')) return 'promtool reads only the first document of a unit-test file:';
  if (has(contents, 'route') || has(contents, 'receivers'))
    return 'Alertmanager reads only the first document of its configuration:';
  if (has(contents, 'scrape_configs') || has(contents, 'rule_files') || has(contents, 'global'))
    return 'Prometheus reads only the first document of its configuration:';
  return generic;
}

export function planDocuments(parsed: { source: SourceFile; findings: Finding[] }): DocumentPlan {
  const { source } = parsed;
  const { docs } = source;
  const skip = new Set<number>();
  const findings: Finding[] = [];
  const stream = docs.some((d) => isKubernetesObject(d.contents));
  const perDoc = new Set(source.docFindings.flat());
  // Errors not tied to a document (the parser itself failed) always count.
  const loose = parsed.findings.filter((f) => !perDoc.has(f));
  findings.push(...loose);
  let stop = loose.length > 0;
  docs.forEach((doc, d) => {
    const errors = source.docFindings[d] ?? [];
    if (d > 0 && !stream) {
      skip.add(d);
      // An empty trailing document (`---` at the end) loses nothing.
      if (isEmpty(doc) && !errors.length) return;
      const at = (doc.contents as Node | null)?.range?.[0] ?? doc.range[0];
      const error = errors[0] ? `; its YAML error (${errors[0].message}) is never seen either` : '';
      findings.push({
        id: 'syntax/ignored-document',
        severity: 'warning',
        file: source.file,
        message: `${reader(docs[0]?.contents)} document ${d + 1} is ignored${error}. Move its content into the first document or into a file of its own`,
        ...locateOffset(source, at),
      });
      return;
    }
    if (errors.length) {
      findings.push(...errors);
      stop = true;
      return;
    }
    const refused = topLevelProblem(doc.contents);
    if (refused) {
      skip.add(d);
      findings.push({
        id: 'syntax/top-level',
        severity: 'error',
        file: source.file,
        message: refused,
        ...(locateNode(source, doc.contents as Node) ?? {}),
      });
    }
  });
  return { findings, stop, skip };
}

const looksLikeGroup = (n: unknown): boolean => isMap(n) && (has(n, 'rules') || (has(n, 'name') && has(n, 'interval')));
const looksLikeRule = (n: unknown): boolean => isMap(n) && has(n, 'expr') && (has(n, 'alert') || has(n, 'record'));

/** Why no loader accepts this top level, or undefined. */
function topLevelProblem(contents: unknown): string | undefined {
  if (isScalar(contents) && contents.value !== null && contents.value !== undefined)
    return `the top level is a scalar (${JSON.stringify(String(contents.value)).slice(0, 40)}), not a mapping: Prometheus, Alertmanager and Grafana refuse such a file`;
  if (!isSeq(contents) || !contents.items.length) return undefined;
  if (contents.items.some(looksLikeGroup))
    return 'the top level is a list of rule groups: a rule file is a mapping whose `groups:` holds that list (promtool: cannot unmarshal !!seq into rulefmt.RuleGroups)';
  if (contents.items.some(looksLikeRule))
    return 'the top level is a list of rules: a rule file is a mapping `groups:` of groups, each with a `name` and its `rules:` (promtool: cannot unmarshal !!seq into rulefmt.RuleGroups)';
  return undefined;
}
