import { createRequire } from 'node:module';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';
import type { History } from '@temporalio/common/lib/proto-utils';

/*
 * History ⇄ the protobuf JSON the temporal CLI writes. `historyFromJSON`/`historyToJSON` of
 * @temporalio/common 1.24 fail here with "type must be a Type": npm installed separate copies of
 * protobufjs for @temporalio/common and @temporalio/proto, and the protojson extension of one
 * rejects the types of the other. So the extension is loaded from @temporalio/proto's own copy.
 */
interface ProtoJson {
  fromJson(
    type: unknown,
    json: unknown,
    options?: { ignoreUnknownFields?: boolean },
  ): History | null;
  toJson(type: unknown, message: unknown): unknown;
}
interface LookupRoot {
  lookupType(name: string): unknown;
}

const protojson = createRequire(require.resolve('@temporalio/proto'))(
  'protobufjs/ext/protojson',
) as ProtoJson;
const historyType = (patchProtobufRoot(proto) as unknown as LookupRoot).lookupType(
  'temporal.api.history.v1.History',
);

type JsonEvent = Record<string, unknown>;

/** Older tools wrote enum values in PascalCase (`WorkflowExecutionStarted`). */
function fixEnum(
  obj: Record<string, unknown>,
  attr: string,
  prefix: string,
): Record<string, unknown> {
  const value = obj[attr];
  if (typeof value !== 'string' || value.startsWith(prefix)) return {};
  return { [attr]: `${prefix}_${value.replace(/(?!^)([A-Z])/g, '_$1').toUpperCase()}` };
}

export function historyFromJson(json: { events: JsonEvent[] }): History {
  const events = json.events.map((e) => {
    const key = Object.keys(e).find((k) => k.endsWith('EventAttributes'));
    if (!key) throw new TypeError(`history event ${String(e.eventId)} has no attributes`);
    const attrs = (e[key] ?? {}) as Record<string, unknown>;
    const taskQueue = attrs.taskQueue as Record<string, unknown> | undefined;
    return {
      ...e,
      ...fixEnum(e, 'eventType', 'EVENT_TYPE'),
      [key]: {
        ...attrs,
        ...(taskQueue
          ? { taskQueue: { ...taskQueue, ...fixEnum(taskQueue, 'kind', 'TASK_QUEUE_KIND') } }
          : {}),
        ...fixEnum(attrs, 'initiator', 'CONTINUE_AS_NEW_INITIATOR'),
        ...fixEnum(attrs, 'retryState', 'RETRY_STATE'),
      },
    };
  });
  const loaded: History | null = protojson.fromJson(
    historyType,
    { ...json, events },
    { ignoreUnknownFields: true },
  );
  if (!loaded) throw new TypeError('invalid history');
  return loaded;
}

export function historyToJsonText(history: History): string {
  const message = proto.temporal.api.history.v1.History.fromObject(history);
  return JSON.stringify(protojson.toJson(historyType, message), null, 2);
}
