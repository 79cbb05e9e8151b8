import { createRequire } from 'node:module';
import type { temporal } from '@temporalio/proto';

/*
 * History ⇄ proto3 JSON (the format `temporal workflow show --output json` writes).
 *
 * `historyToJSON`/`historyFromJSON` of @temporalio/common 1.24.0 throw "type must be a Type" in
 * this install: @temporalio/common and @temporalio/proto each carry their own nested copy of
 * protobufjs 8, and protojson checks `instanceof Type` against the wrong copy. So the conversion
 * here loads the proto root and protojson from the same protobufjs that @temporalio/proto uses,
 * through Node's own require (jest's module registry would create yet another copy).
 */

type History = temporal.api.history.v1.IHistory;

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
}
interface ProtoModule {
  temporal: { api: { history: { v1: { History: { fromObject(o: unknown): unknown } } } } };
}
interface Root {
  lookupType(name: string): unknown;
}

const nodeRequire = createRequire(__filename);
const protoEntry = nodeRequire.resolve('@temporalio/proto');
const protoRequire = createRequire(protoEntry);
const proto = protoRequire(protoEntry) as ProtoModule;
const { patchProtobufRoot } = protoRequire('@temporalio/proto/lib/patch-protobuf-root') as {
  patchProtobufRoot(this: void, root: unknown): Root;
};
const protojson = protoRequire('protobufjs/ext/protojson') as ProtoJson;
const historyType = patchProtobufRoot(proto).lookupType('temporal.api.history.v1.History');

export function historyToJson(history: History): unknown {
  return protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history));
}

/** `WorkflowExecutionStarted` (older CLI output) → `EVENT_TYPE_WORKFLOW_EXECUTION_STARTED`. */
function constantCase(prefix: string, value: unknown): unknown {
  if (typeof value !== 'string' || value.startsWith(prefix)) return value;
  return `${prefix}_${value.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

export function historyFromJson(json: unknown): History {
  const events = (json as { events?: Array<Record<string, unknown>> }).events;
  if (!Array.isArray(events)) throw new TypeError('Invalid history: expected { events: [...] }');
  const fixed = {
    ...(json as object),
    events: events.map((e) => ({ ...e, eventType: constantCase('EVENT_TYPE', e.eventType) })),
  };
  return protojson.fromJson(historyType, fixed, { ignoreUnknownFields: true }) as History;
}
