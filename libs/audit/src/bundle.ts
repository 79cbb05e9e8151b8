import { canonicalJson, sha256, sortKeys } from './canonical';
import { historyJson, type RunHistory } from './history';
import { PROJECTION_TABLES, rowKey, type ProjectionRows, type ProjectionTable } from './projection';
import type { TimelineItem } from './timeline';

/*
 * The audit bundle is ONE JSON file (canonical: sorted keys, two-space indent, trailing newline):
 *
 *   format, workflowId, exportedAt
 *   histories   [{runId, history}]  — each history exactly as `temporal workflow show --output json`
 *   projection  {table: rows}       — the Postgres rows at export time
 *   timeline    [TimelineItem]      — the readable events
 *   chain       {history, projection, timeline}: per record `{ref, digest, hash}` where
 *               digest = sha256(canonical record) and hash = sha256(previous hash + digest)
 *   manifest    {format, workflowId, exportedAt, parts: {name: {count, head}}}
 *   manifestDigest = sha256(canonical manifest)
 *
 * Verification recomputes everything, so one changed byte anywhere fails and is named: the record
 * whose digest no longer matches, a chain entry, the manifest, or (for bytes outside any record,
 * such as whitespace) the offset where the file departs from its canonical form.
 */
export const BUNDLE_FORMAT = 'duban-audit-bundle/1';
const GENESIS = '0'.repeat(64);

export type ChainPart = 'history' | 'projection' | 'timeline';
export const CHAIN_PARTS: ChainPart[] = ['history', 'projection', 'timeline'];

export interface ChainEntry {
  /** Which record: `run <runId> event <id> (<type>)`, `decision seq=7`, `timeline #5 …`. */
  ref: string;
  digest: string;
  hash: string;
}

export interface BundleManifest {
  format: string;
  workflowId: string;
  exportedAt: string;
  parts: Record<ChainPart, { count: number; head: string }>;
}

export interface AuditBundle {
  format: string;
  workflowId: string;
  exportedAt: string;
  histories: Array<{ runId: string; history: { events: Array<Record<string, unknown>> } }>;
  projection: ProjectionRows;
  timeline: TimelineItem[];
  chain: Record<ChainPart, ChainEntry[]>;
  manifest: BundleManifest;
  manifestDigest: string;
}

interface ChainRecord {
  ref: string;
  value: unknown;
}

function records(
  bundle: Pick<AuditBundle, 'histories' | 'projection' | 'timeline'>,
): Record<ChainPart, ChainRecord[]> {
  const history: ChainRecord[] = [];
  for (const run of bundle.histories ?? []) {
    for (const event of run.history?.events ?? []) {
      const type =
        typeof event.eventType === 'string' ? event.eventType.replace(/^EVENT_TYPE_/, '') : '';
      history.push({
        ref: `run ${run.runId} event ${String(event.eventId)} (${type})`,
        value: { runId: run.runId, event },
      });
    }
  }
  const projection: ChainRecord[] = [];
  for (const table of PROJECTION_TABLES) {
    for (const row of bundle.projection?.[table] ?? []) {
      projection.push({ ref: `${table} ${rowKey(table, row)}`, value: { table, row } });
    }
  }
  const timeline = (bundle.timeline ?? []).map((item) => ({
    ref: `timeline #${item.index} ${item.type}${item.seq !== null ? ` seq=${item.seq}` : ''} (run ${item.runId} event ${item.eventId})`,
    value: item,
  }));
  return { history, projection, timeline };
}

function chainOf(recs: ChainRecord[]): ChainEntry[] {
  let previous = GENESIS;
  return recs.map(({ ref, value }) => {
    const digest = sha256(canonicalJson(value));
    previous = sha256(previous + digest);
    return { ref, digest, hash: previous };
  });
}

export function serializeBundle(bundle: AuditBundle): string {
  return `${JSON.stringify(sortKeys(bundle), null, 2)}\n`;
}

/** Builds the bundle for a task-quarter from its histories, its rows and its timeline. */
export function buildBundle(input: {
  workflowId: string;
  runs: RunHistory[];
  projection: ProjectionRows;
  timeline: TimelineItem[];
  exportedAt?: Date;
}): AuditBundle {
  const exportedAt = (input.exportedAt ?? new Date()).toISOString();
  const content = {
    histories: input.runs.map((r) => ({
      runId: r.runId,
      history: historyJson(r.history) as { events: Array<Record<string, unknown>> },
    })),
    // Round-trip through JSON so the chain is computed over exactly what the file will hold.
    projection: JSON.parse(JSON.stringify(input.projection)) as ProjectionRows,
    timeline: JSON.parse(JSON.stringify(input.timeline)) as TimelineItem[],
  };
  const recs = records(content);
  const chain = {
    history: chainOf(recs.history),
    projection: chainOf(recs.projection),
    timeline: chainOf(recs.timeline),
  };
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    workflowId: input.workflowId,
    exportedAt,
    parts: {
      history: { count: chain.history.length, head: chain.history.at(-1)?.hash ?? GENESIS },
      projection: {
        count: chain.projection.length,
        head: chain.projection.at(-1)?.hash ?? GENESIS,
      },
      timeline: { count: chain.timeline.length, head: chain.timeline.at(-1)?.hash ?? GENESIS },
    },
  };
  return {
    format: BUNDLE_FORMAT,
    workflowId: input.workflowId,
    exportedAt,
    ...content,
    chain,
    manifest,
    manifestDigest: sha256(canonicalJson(manifest)),
  };
}

export interface BundleProblem {
  /** `history`, `projection`, `timeline`, `chain.<part>`, `manifest`, `file`. */
  part: string;
  /** The record named, e.g. `timeline #5 report_submitted seq=7 (run … event 12)`. */
  ref: string | null;
  message: string;
}

export interface BundleVerification {
  valid: boolean;
  workflowId: string | null;
  manifestDigest: string | null;
  counts: Partial<Record<ChainPart, number>>;
  problems: BundleProblem[];
}

/**
 * Checks a bundle offline. Pass the file's text (not a parsed object) so that bytes outside any
 * record are checked too. `expectedDigest`, when given (from where the export was recorded),
 * also catches a bundle rebuilt wholesale.
 */
export function verifyBundle(text: string, expectedDigest?: string): BundleVerification {
  const problems: BundleProblem[] = [];
  let bundle: AuditBundle;
  try {
    bundle = JSON.parse(text) as AuditBundle;
  } catch (error) {
    return {
      valid: false,
      workflowId: null,
      manifestDigest: null,
      counts: {},
      problems: [
        { part: 'file', ref: null, message: `not valid JSON: ${(error as Error).message}` },
      ],
    };
  }
  if (bundle.format !== BUNDLE_FORMAT) {
    problems.push({ part: 'file', ref: null, message: `unknown format ${String(bundle.format)}` });
  }
  const recs = records(bundle);
  const counts: Partial<Record<ChainPart, number>> = {};
  for (const part of CHAIN_PARTS) {
    const stored = bundle.chain?.[part] ?? [];
    const recomputed = chainOf(recs[part]);
    counts[part] = recomputed.length;
    const n = Math.max(stored.length, recomputed.length);
    let previous = GENESIS;
    for (let i = 0; i < n; i++) {
      const s = stored[i];
      const r = recomputed[i];
      if (!s) {
        problems.push({ part, ref: r.ref, message: `${r.ref}: record has no chain entry (added)` });
        continue;
      }
      if (!r) {
        problems.push({
          part,
          ref: s.ref,
          message: `${s.ref}: chain entry without a record (removed)`,
        });
        continue;
      }
      if (s.digest !== r.digest) {
        problems.push({ part, ref: r.ref, message: `${r.ref}: content changed (digest mismatch)` });
      }
      const hash = sha256(previous + s.digest);
      if (s.hash !== hash) {
        problems.push({
          part: `chain.${part}`,
          ref: s.ref,
          message: `${s.ref}: chain hash changed`,
        });
      }
      previous = s.hash;
    }
    const head = bundle.manifest?.parts?.[part];
    if (!head || head.head !== previous || head.count !== stored.length) {
      problems.push({
        part: 'manifest',
        ref: part,
        message: `manifest entry for ${part} does not match its chain`,
      });
    }
  }
  const digest = sha256(canonicalJson(bundle.manifest ?? null));
  if (digest !== bundle.manifestDigest) {
    problems.push({
      part: 'manifest',
      ref: null,
      message: 'manifest digest does not match the manifest',
    });
  }
  for (const field of ['format', 'workflowId', 'exportedAt'] as const) {
    if (bundle.manifest && bundle[field] !== bundle.manifest[field]) {
      problems.push({ part: 'file', ref: field, message: `${field} differs from the manifest` });
    }
  }
  if (expectedDigest && bundle.manifestDigest !== expectedDigest) {
    problems.push({
      part: 'manifest',
      ref: null,
      message: `manifest digest ${bundle.manifestDigest} is not the expected ${expectedDigest}`,
    });
  }
  if (problems.length === 0) {
    const canonical = serializeBundle(bundle);
    if (canonical !== text) {
      let at = 0;
      while (at < text.length && text[at] === canonical[at]) at++;
      problems.push({
        part: 'file',
        ref: null,
        message: `bytes outside the records changed (first at byte offset ${Buffer.byteLength(text.slice(0, at))})`,
      });
    }
  }
  return {
    valid: problems.length === 0,
    workflowId: typeof bundle.workflowId === 'string' ? bundle.workflowId : null,
    manifestDigest: typeof bundle.manifestDigest === 'string' ? bundle.manifestDigest : null,
    counts,
    problems,
  };
}

export type { ProjectionTable };
