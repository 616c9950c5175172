/**
 * What a simulated machine's log lines say, shaped as viam-server's NetAppender uploads them
 * (rdk logging/net_appender.go): level as zap prints it ("debug", "info", "warn", "error"), a dotted
 * logger name, caller {Defined, File, Line, Function}, and each field as a marshalled zap.Field
 * {Key, Type, Integer, String, Interface}.
 *
 * Three sources: the boot sequence, a slow background of routine lines, and hostile lines that
 * tests inject to prove the apps render anything inert.
 */
import { Struct, Timestamp, Value, ListValue, type JsonObject } from '@bufbuild/protobuf';
import type { LogFieldValue, MachineLogLine } from '../machine/index.ts';
import { RawLogEntry } from './log-proto.ts';

/** zapcore.FieldType values used here. */
const ZAP_BOOL = 4;
const ZAP_FLOAT64 = 9;
const ZAP_INT64 = 11;
const ZAP_STRING = 15;

const utf8 = new TextEncoder();

export function zapField(key: string, value: LogFieldValue): Struct {
  let type = ZAP_STRING;
  let integer = 0;
  let text = '';
  if (typeof value === 'boolean') {
    type = ZAP_BOOL;
    integer = value ? 1 : 0;
  } else if (typeof value === 'number' && Number.isInteger(value)) {
    type = ZAP_INT64;
    integer = value;
  } else if (typeof value === 'number') {
    // rdk stores float64 fields as "%f" strings to survive the proto conversion.
    type = ZAP_FLOAT64;
    text = value.toFixed(6);
  } else {
    text = value;
  }
  return Struct.fromJson({ Key: key, Type: type, Integer: integer, String: text, Interface: null });
}

export function callerStruct(caller: MachineLogLine['caller']): Struct {
  return Struct.fromJson(
    caller
      ? { Defined: true, File: caller.file, Line: caller.line, Function: caller.fn }
      : { Defined: false, File: '', Line: 0, Function: '' },
  );
}

export function entryOf(host: string, t: number, line: MachineLogLine): RawLogEntry {
  return new RawLogEntry({
    host,
    level: line.level,
    time: Timestamp.fromDate(new Date(t)),
    loggerName: line.logger,
    message: utf8.encode(line.message),
    caller: callerStruct(line.caller),
    stack: '',
    fields: Object.entries(line.fields ?? {}).map(([k, v]) => zapField(k, v)),
  });
}

export interface MachineFacts {
  name: string;
  version: string;
  hostname: string;
  /** configured resources: full name and subtype */
  resources: { fullName: string; name: string; subtype: string; model: string }[];
  modules: string[];
}

const RM = 'robot/impl/resource_manager.go';
const fn = (pkg: string, f: string) => `go.viam.com/rdk/${pkg}.${f}`;

/** viam-server starting: version, cloud, every resource configured, serving. */
export function bootLines(m: MachineFacts): MachineLogLine[] {
  const lines: MachineLogLine[] = [
    {
      level: 'info',
      logger: 'rdk',
      message: 'Viam RDK',
      fields: { version: m.version, git_rev: 'a1b2c3d4e5f6' },
      caller: { file: 'web/server/entrypoint.go', line: 151, fn: fn('web/server', 'RunServer') },
    },
    {
      level: 'info',
      logger: 'rdk.networking',
      message: 'connected to app.viam.com',
      fields: { host: m.hostname },
      caller: { file: 'config/reader.go', line: 212, fn: fn('config', 'readFromCloud') },
    },
    ...m.modules.map((mod): MachineLogLine => ({
      level: 'info',
      logger: 'rdk.modmanager',
      message: 'Starting up module',
      fields: { module: mod },
      caller: {
        file: 'module/modmanager/manager.go',
        line: 340,
        fn: fn('module/modmanager', '(*Manager).Add'),
      },
    })),
    ...m.resources.slice(0, 200).map((r): MachineLogLine => ({
      level: 'info',
      logger: 'rdk.resource_manager',
      message: 'Now configuring resource',
      fields: { resource: r.fullName, model: r.model },
      caller: { file: RM, line: 713, fn: fn('robot/impl', '(*resourceManager).completeConfig') },
    })),
    {
      level: 'info',
      logger: 'rdk',
      message: 'Robot (re)configured',
      fields: { revision: 'rev-1', resources: m.resources.length },
      caller: { file: RM, line: 1190, fn: fn('robot/impl', '(*localRobot).reconfigure') },
    },
    {
      level: 'info',
      logger: 'rdk.networking',
      message: 'serving',
      fields: { addresses: `${m.hostname}:8080` },
      caller: { file: 'robot/web/web.go', line: 380, fn: fn('robot/web', '(*webService).StartModule') },
    },
  ];
  return lines;
}

/** The line a machine leaves as it drops off the network. */
export function stopLine(state: 'offline' | 'awaiting_setup' | 'down'): MachineLogLine {
  return {
    level: 'warn',
    logger: 'rdk.networking',
    message:
      state === 'down'
        ? 'lost connection to app.viam.com; retrying'
        : 'network unreachable; will keep retrying to reach app.viam.com',
    fields: { reason: state },
    caller: { file: 'grpc/shared_conn.go', line: 221, fn: fn('grpc', '(*SharedConn).reconnect') },
  };
}

/** One routine line; `r` is a seeded random number in [0, 1) and `n` counts lines so far. */
export function backgroundLine(m: MachineFacts, r: () => number, n: number): MachineLogLine {
  const res = m.resources.length > 0 ? m.resources[Math.floor(r() * m.resources.length)] : undefined;
  const roll = r();
  if (res && roll < 0.02) {
    return {
      level: 'error',
      logger: `rdk.components.${res.subtype}`,
      message: `${res.name}: transient read error: i2c bus busy, retrying`,
      fields: { resource: res.fullName, attempt: 1 + Math.floor(r() * 3) },
      caller: {
        file: 'components/board/genericlinux/i2c.go',
        line: 88,
        fn: fn('components/board/genericlinux', '(*i2cHandle).Read'),
      },
    };
  }
  if (res && roll < 0.1) {
    return {
      level: 'warn',
      logger: `rdk.components.${res.subtype}`,
      message: `${res.name}: call took longer than expected`,
      fields: { resource: res.fullName, duration_ms: 150 + Math.floor(r() * 400) },
      caller: { file: 'robot/server/server.go', line: 611, fn: fn('robot/server', 'slowCallWarning') },
    };
  }
  const kinds: (() => MachineLogLine)[] = [
    () => ({
      level: 'debug',
      logger: 'rdk.networking',
      message: 'cloud connection healthy',
      fields: { latency_ms: 18 + Math.floor(r() * 60) },
      caller: { file: 'grpc/app_conn.go', line: 97, fn: fn('grpc', '(*AppConn).heartbeat') },
    }),
    () => ({
      level: 'debug',
      logger: 'rdk.config',
      message: 'checked for a new config: none',
      fields: { poll: n },
      caller: { file: 'config/watcher.go', line: 76, fn: fn('config', 'newCloudWatcher.func1') },
    }),
    (): MachineLogLine => ({
      level: 'info',
      logger: res ? `rdk.components.${res.subtype}` : 'rdk.resource_manager',
      message: res ? `${res.name}: status ok` : 'no resources configured',
      fields: res ? { resource: res.fullName, uptime_s: n * 4 } : { uptime_s: n * 4 },
      caller: { file: 'resource/graph_node.go', line: 171, fn: fn('resource', '(*GraphNode).UpdateStatus') },
    }),
    () => ({
      level: 'debug',
      logger: 'rdk.data_manager',
      message: 'nothing to sync',
      fields: { pending_files: 0 },
      caller: {
        file: 'services/datamanager/builtin/sync.go',
        line: 233,
        fn: fn('services/datamanager/builtin', 'syncLoop'),
      },
    }),
    () => ({
      level: 'info',
      logger: 'rdk.resource_manager',
      message: 'resources checked for reconfiguration',
      fields: { resources: m.resources.length, changed: 0 },
      caller: { file: RM, line: 1422, fn: fn('robot/impl', '(*localRobot).updateWeakAndOptionalDependents') },
    }),
  ];
  return (kinds[Math.floor(r() * kinds.length)] ?? kinds[0] ?? (() => stopLine('down')))();
}

const HOSTILE_MAX_BYTES = 100 * 1024;

/**
 * Lines no machine should send but some will: markup, ANSI escapes, 100 KB messages, invalid
 * UTF-8, times outside what a Date can hold, NaN numbers, deep fields, a secret. Cycled by `i`.
 */
export function hostileEntry(host: string, t: number, i: number, secrets: readonly string[]): RawLogEntry {
  const base = {
    host,
    level: 'error',
    time: Timestamp.fromDate(new Date(t)),
    loggerName: 'rdk.components.sensor',
    caller: callerStruct({ file: 'components/sensor/fake/sensor.go', line: 42, fn: 'fake.Readings' }),
    stack: '',
    fields: [] as Struct[],
  };
  const text = (s: string) => utf8.encode(s);
  switch (i % 12) {
    case 0:
      return new RawLogEntry({
        ...base,
        loggerName: 'rdk.components.<img src=x onerror=alert(1)>',
        message: text(
          `<script>alert("xss")</script><img src=x onerror="alert(1)"><a href="javascript:alert(1)">click</a>`,
        ),
        fields: [zapField('<b>key</b>', '<iframe src="javascript:alert(1)"></iframe>')],
      });
    case 1:
      return new RawLogEntry({
        ...base,
        level: 'warn',
        message: text(
          '\u001b[31mred alert\u001b[0m \u001b[1;5mblinking\u001b[0m \u001b[2J\u001b[Hcleared? \u001b]0;title\u0007',
        ),
      });
    case 2: {
      const chunk = 'long line <b>not bold</b> \u001b[32mgreen\u001b[0m ';
      return new RawLogEntry({
        ...base,
        level: 'info',
        message: text(chunk.repeat(Math.ceil(HOSTILE_MAX_BYTES / chunk.length)).slice(0, HOSTILE_MAX_BYTES)),
      });
    }
    case 3:
      return new RawLogEntry({
        ...base,
        message: new Uint8Array([
          ...text('invalid utf-8: '),
          0xff,
          0xfe,
          0xc3,
          0x28,
          0xa0,
          0xa1,
          0xe2,
          0x28,
          0xa1,
          0xf0,
          0x28,
          0x8c,
          0xbc,
          0xed,
          0xa0,
          0x80,
          ...text(' end'),
        ]),
      });
    case 4:
      // Past what a JS Date can hold: toDate() gives Invalid Date, getTime() NaN.
      return new RawLogEntry({
        ...base,
        time: new Timestamp({ seconds: 10n ** 15n, nanos: 0 }),
        message: text('a line whose time is out of range'),
      });
    case 5:
      return new RawLogEntry({
        ...base,
        level: 'NOTALEVEL',
        time: undefined,
        caller: undefined,
        message: text('a line with no time, no caller and an unknown level'),
      });
    case 6:
      return new RawLogEntry({
        ...base,
        time: new Timestamp({ seconds: -62_135_596_900n, nanos: 2_000_000_000 }),
        message: text('a line from before year 1, with nanos out of range'),
      });
    case 7: {
      let deep: JsonObject = { leaf: '<b>deep</b>' };
      for (let d = 0; d < 40; d++) deep = { [`level${d}`]: deep };
      return new RawLogEntry({
        ...base,
        level: 'debug',
        message: text('fields with NaN, Infinity, a deep object and odd keys'),
        fields: [
          new Struct({
            fields: {
              Key: new Value({ kind: { case: 'stringValue', value: 'reading' } }),
              Type: new Value({ kind: { case: 'numberValue', value: ZAP_FLOAT64 } }),
              String: new Value({ kind: { case: 'stringValue', value: 'NaN' } }),
              nan: new Value({ kind: { case: 'numberValue', value: NaN } }),
              inf: new Value({ kind: { case: 'numberValue', value: Infinity } }),
              ninf: new Value({ kind: { case: 'numberValue', value: -Infinity } }),
              ['__proto__']: new Value({ kind: { case: 'stringValue', value: 'polluted?' } }),
              constructor: new Value({ kind: { case: 'stringValue', value: 'not a function' } }),
              list: new Value({
                kind: {
                  case: 'listValue',
                  value: new ListValue({
                    values: Array.from(
                      { length: 500 },
                      (_, k) => new Value({ kind: { case: 'numberValue', value: k } }),
                    ),
                  }),
                },
              }),
            },
          }),
          Struct.fromJson({ Key: 'deep', Type: 23, Integer: 0, String: '', Interface: deep }),
        ],
      });
    }
    case 8:
      return new RawLogEntry({
        ...base,
        level: 'info',
        message: text(
          'line one\r\nline two\ttabbed\u0000nul \u202eRTL override\u202c zero\u200bwidth 🤖 lone \ud800 surrogate',
        ),
      });
    case 9: {
      const secret = secrets[0] ?? 'no-key-configured';
      return new RawLogEntry({
        ...base,
        level: 'warn',
        loggerName: 'rdk.networking',
        message: text(`authenticating to app.viam.com with api key ${secret}`),
        fields: [zapField('api_key', secret)],
      });
    }
    case 10:
      return new RawLogEntry({
        ...base,
        level: 'fatal',
        message: text('panic: runtime error: index out of range [3] with length 3'),
        stack: Array.from(
          { length: 60 },
          (_, k) =>
            `goroutine 1 [running]:\nmain.frame${k}(0x${k.toString(16)})\n\t/src/main.go:${100 + k} +0x1d`,
        ).join('\n'),
      });
    default:
      return new RawLogEntry({
        ...base,
        level: 'debug',
        loggerName: `rdk.${'very.long.logger.name.'.repeat(100)}end`,
        message: new Uint8Array(0),
      });
  }
}
