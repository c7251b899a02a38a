// BrokerConfig: the broker's one typed config object, with RocketMQ's key names and defaults
// (Java `BrokerConfig` + `MessageStoreConfig`, the keys people put in broker.conf), and the reader
// of broker.conf as a Java .properties file. Depends on node:os, node:fs, node:path, and the front
// door's limit keys (ts/remoting/front-door-limits.ts).

import { readFileSync } from 'node:fs';
import { homedir, hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { FRONT_DOOR_CONFIG_DEFAULTS } from '../../remoting/front-door-limits.js';

export type FlushDiskType = 'ASYNC_FLUSH' | 'SYNC_FLUSH';
export type BrokerRole = 'ASYNC_MASTER' | 'SYNC_MASTER' | 'SLAVE';

const ENUMS = {
  flushDiskType: ['ASYNC_FLUSH', 'SYNC_FLUSH'],
  brokerRole: ['ASYNC_MASTER', 'SYNC_MASTER', 'SLAVE'],
  defaultMessageRequestMode: ['PULL', 'POP'],
  metricsExporterType: ['DISABLE', 'OTLP_GRPC', 'PROM', 'LOG'],
  logLevel: ['debug', 'info', 'warn', 'error', 'silent'],
} as const;

/** Facts about the host the defaults depend on; injected so tests are deterministic. */
export interface HostFacts {
  hostname: string;
  homeDir: string;
  /** `NAMESRV_ADDR` from the environment, if set. */
  namesrvAddrEnv: string | undefined;
  /** The first non-internal IPv4 address, if any. */
  firstIpv4: string | undefined;
}

export function readHostFacts(): HostFacts {
  const ipv4 = Object.values(networkInterfaces())
    .flat()
    .find((info) => info !== undefined && info.family === 'IPv4' && !info.internal);
  return {
    hostname: hostname(),
    homeDir: homedir(),
    namesrvAddrEnv: process.env.NAMESRV_ADDR,
    firstIpv4: ipv4?.address,
  };
}

/**
 * Defaults as Java's. `brokerName` defaults, like Java's BrokerIdentity, to the host name
 * ("DEFAULT_BROKER" when that is empty); real deployments set it (broker-a …). `namesrvAddr` is
 * "" when neither broker.conf nor NAMESRV_ADDR gives one. `listenPort` is 10911, the port
 * BrokerStartup gives the remoting server. `storePathCommitLog` "" means `<storePathRootDir>/commitlog`
 * (resolved by `commitLogDir`), as Java's null default.
 */
export function defaultBrokerConfig(host: HostFacts = readHostFacts()) {
  return {
    ...brokerDefaults(host),
    ...endpointDefaults(),
    ...messageStoreDefaults(host),
    ...FRONT_DOOR_CONFIG_DEFAULTS,
  };
}

/** The endpoints beside Remoting: gRPC's TLS, the dashboard, /metrics, and the log level. */
function endpointDefaults() {
  return {
    /** The dashboard's HTTP port (docs/dashboard.md); 0: none. `clean-rocketmq start` gives 8080. */
    dashboardPort: 0,
    /** Where the dashboard listens; another address than loopback wants a `dashboardToken`. */
    dashboardListenAddress: '127.0.0.1',
    /** When set, every dashboard request carries it (bearer, cookie or ?token=); "" : none. */
    dashboardToken: '',
    /** PEM certificate chain and key of the gRPC endpoint (Apache proxy's names); both set: TLS, else plaintext. */
    tlsCertPath: '',
    tlsKeyPath: '',
    /** Java `metricsExporterType`: PROM serves /metrics (docs/metrics.md); OTLP_GRPC and LOG are not exported. */
    metricsExporterType: 'DISABLE' as 'DISABLE' | 'OTLP_GRPC' | 'PROM' | 'LOG',
    metricsPromExporterPort: 5557,
    /** "" (Java's default): every interface. */
    metricsPromExporterHost: '',
    /** The level of the broker's JSON log lines (Apache configures logback instead). */
    logLevel: 'info' as 'debug' | 'info' | 'warn' | 'error' | 'silent',
  };
}

/** Java `BrokerIdentity` and `BrokerConfig`. */
function brokerDefaults(host: HostFacts) {
  return {
    brokerClusterName: 'DefaultCluster',
    brokerName: host.hostname === '' ? 'DEFAULT_BROKER' : host.hostname,
    brokerId: 0,
    namesrvAddr: host.namesrvAddrEnv ?? '',
    listenPort: 10911,
    /** The gRPC endpoint's port (RocketMQ 5 clients, docs/grpc.md); 0: none. The CLI's default is 8081. */
    grpcServerPort: 0,
    brokerIP1: host.firstIpv4 ?? '127.0.0.1',
    brokerIP2: host.firstIpv4 ?? '127.0.0.1',
    brokerPermission: 6,
    defaultTopicQueueNums: 8,
    autoCreateTopicEnable: true,
    clusterTopicEnable: true,
    brokerTopicEnable: true,
    autoCreateSubscriptionGroup: true,
    enableCreateSysGroup: true,
    traceTopicEnable: false,
    msgTraceTopicName: 'RMQ_SYS_TRACE_TOPIC',
    validateSystemTopicWhenUpdateTopic: true,
    flushConsumerOffsetInterval: 5000,
    consumerOffsetUpdateVersionStep: 500,
    useServerSideResetOffset: true,
    storeReplyMessageEnable: true,
    longPollingEnable: true,
    shortPollingTimeMills: 1000,
    notifyConsumerIdsChangedEnable: true,
    registerBrokerTimeoutMills: 24000,
    registerNameServerPeriod: 30000,
    enablePropertyFilter: false,
    rejectTransactionMessage: false,
    transactionTimeOut: 6000,
    transactionCheckMax: 15,
    transactionCheckInterval: 30000,
    transactionOpMsgMaxSize: 4096,
    transactionOpBatchInterval: 3000,
    reviveQueueNum: 8,
    /** Java `reviveInterval`: how often due pop checkpoints are revived (ms). */
    reviveInterval: 1000,
    /** Java `maxPopPollingSize`: pops held for long polling at once; past it POLLING_FULL. */
    maxPopPollingSize: 100000,
    /** Java `popFromRetryProbability`: percent of pops that read the pop retry topic first. */
    popFromRetryProbability: 20,
    enablePopBufferMerge: false,
    popCkStayBufferTime: 10000,
    enableRetryTopicV2: false,
    asyncSendEnable: true,
    serverLoadBalancerEnable: true,
    defaultMessageRequestMode: 'PULL' as 'PULL' | 'POP',
    defaultPopShareQueueNum: -1,
    /** RECALL_MESSAGE and gRPC RecallMessage: refused (NO_PERMISSION) unless true, as in Apache 5.5. */
    recallMessageEnable: false,
    /** Pulls suggest the subscription group's brokers (a slave for lagging consumers): docs/replication.md §6. */
    slaveReadEnable: false,
    /** The broker.conf the broker started from (`-c`); UPDATE_BROKER_CONFIG persists into it. */
    brokerConfigPath: '',
    /** `;`-separated keys UPDATE_BROKER_CONFIG refuses (Java's default list). */
    configBlackList: 'configBlackList;brokerConfigPath',
  };
}

/** Java `MessageStoreConfig`. */
function messageStoreDefaults(host: HostFacts) {
  return {
    storePathRootDir: join(host.homeDir, 'store'),
    storePathCommitLog: '',
    mappedFileSizeCommitLog: 1073741824,
    mappedFileSizeConsumeQueue: 6000000,
    flushDiskType: 'ASYNC_FLUSH' as FlushDiskType,
    brokerRole: 'ASYNC_MASTER' as BrokerRole,
    flushIntervalCommitLog: 500,
    flushCommitLogLeastPages: 4,
    flushCommitLogThoroughInterval: 10000,
    flushIntervalConsumeQueue: 1000,
    syncFlushTimeout: 5000,
    putMessageTimeout: 8000,
    slaveTimeout: 3000,
    transientStorePoolEnable: false,
    transientStorePoolSize: 5,
    maxMessageSize: 4194304,
    messageDelayLevel: '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h',
    deleteWhen: '04',
    fileReservedTime: 72,
    diskMaxUsedSpaceRatio: 75,
    cleanFileForciblyEnable: true,
    checkCRCOnRecover: true,
    messageIndexEnable: true,
    maxHashSlotNum: 5000000,
    maxIndexNum: 20000000,
    autoMessageVersionOnTopicLen: true,
    duplicationEnable: false,
    /** The HA listener's port (docs/replication.md); 0: listenPort + 1 (any free port when listenPort is 0). */
    haListenPort: 0,
    /** A slave's master HA address `host:port`; "" learns it from the registry. */
    haMasterAddress: '',
    haSendHeartbeatInterval: 5000,
    haHousekeepingInterval: 20000,
    haTransferBatchSize: 32768,
    /** SYNC_MASTER: a slave further behind than this many bytes is not in sync (SLAVE_NOT_AVAILABLE). */
    haMaxGapNotInSync: 268435456,
    /** slaveReadEnable: a consumer more than this percent of the memory behind the log's end consumes slowly. */
    accessMessageInMemoryMaxRatio: 40,
    timerWheelEnable: true,
    timerPrecisionMs: 1000,
    timerMaxDelaySec: 259200,
    enableLmq: false,
    enableMultiDispatch: false,
  };
}

export type BrokerConfig = ReturnType<typeof defaultBrokerConfig>;
export type BrokerConfigKey = keyof BrokerConfig;

/** Java `getStorePathCommitLog`: the configured directory, else `<storePathRootDir>/commitlog`. */
export function commitLogDir(config: BrokerConfig): string {
  return config.storePathCommitLog === '' ? join(config.storePathRootDir, 'commitlog') : config.storePathCommitLog;
}

export class BrokerConfigError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = 'BrokerConfigError';
  }
}

export interface ParsedBrokerConf {
  config: BrokerConfig;
  /** Keys this broker does not know; the caller warns. Java silently ignores them. */
  unknownKeys: string[];
  /** Keys given that this broker accepts but nothing reads yet (INERT_CONFIG_KEYS); the caller warns once. */
  inertKeys: string[];
}

/**
 * Keys broker.conf may set (so a Java broker.conf loads unchanged) that no code reads yet, each with the
 * feature that will give it meaning. Remove a key from here in the change that makes it work.
 */
export const INERT_CONFIG_KEYS = {
  asyncSendEnable: 'asynchronous send processing',
  autoMessageVersionOnTopicLen: 'switching the record version off',
  duplicationEnable: 'replication',
  enableLmq: 'light message queues',
  enableMultiDispatch: 'light message queues',
  putMessageTimeout: 'put timeouts',
  transactionOpBatchInterval:
    'the wait before op records are written (they are merged per event-loop turn and written with their commits)',
} as const satisfies Partial<Record<BrokerConfigKey, string>>;

/** The keys among those given in broker.conf that are accepted but do nothing yet, in the order given. */
export function inertConfigKeys(keysGivenInFile: Iterable<string>): string[] {
  return [...keysGivenInFile].filter((key) => Object.hasOwn(INERT_CONFIG_KEYS, key));
}

/** The one start-up warning naming every inert key given, or null when there is none. */
export function inertConfigWarning(inertKeys: readonly string[]): string | null {
  if (inertKeys.length === 0) return null;
  const named = inertKeys.map((key) => `${key} (${INERT_CONFIG_KEYS[key as keyof typeof INERT_CONFIG_KEYS]})`);
  return `broker.conf keys accepted but not implemented yet: ${named.join(', ')}`;
}

const DELAY_LEVEL = /^\d+[smhd]$/;

/** Reads broker.conf text over the defaults. Throws BrokerConfigError naming a bad key. */
export function parseBrokerConf(text: string, defaults: BrokerConfig = defaultBrokerConfig()): ParsedBrokerConf {
  const properties = parseProperties(text);
  const { values, unknownKeys } = convertBrokerConfValues(properties, defaults);
  const config: BrokerConfig = { ...defaults, ...values };
  return { config, unknownKeys, inertKeys: inertConfigKeys(properties.keys()) };
}

/** Typed values of `key → text` pairs over `defaults`' types; unknown keys listed apart. Throws BrokerConfigError. */
export function convertBrokerConfValues(
  properties: ReadonlyMap<string, string>,
  defaults: BrokerConfig,
): { values: Partial<BrokerConfig>; unknownKeys: string[] } {
  const values: Record<string, unknown> = {};
  const unknownKeys: string[] = [];
  for (const [key, raw] of properties) {
    if (!Object.hasOwn(defaults, key)) {
      unknownKeys.push(key);
      continue;
    }
    values[key] = convert(key as BrokerConfigKey, raw.trim(), defaults[key as BrokerConfigKey]);
  }
  return { values, unknownKeys };
}

/** parseBrokerConf on a file (`-c broker.conf`). */
export function loadBrokerConf(path: string, defaults?: BrokerConfig): ParsedBrokerConf {
  return parseBrokerConf(readFileSync(path, 'utf8'), defaults);
}

function convert(key: BrokerConfigKey, value: string, fallback: unknown): unknown {
  if (key in ENUMS) {
    const allowed: readonly string[] = ENUMS[key as keyof typeof ENUMS];
    if (!allowed.includes(value))
      throw new BrokerConfigError(key, `${key}: "${value}" is not one of ${allowed.join(', ')}`);
    return value;
  }
  if (typeof fallback === 'number') {
    if (!/^[+-]?\d+$/.test(value)) throw new BrokerConfigError(key, `${key}: "${value}" is not an integer`);
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed)) throw new BrokerConfigError(key, `${key}: ${value} is out of range`);
    return parsed;
  }
  if (typeof fallback === 'boolean') {
    const lower = value.toLowerCase();
    if (lower !== 'true' && lower !== 'false')
      throw new BrokerConfigError(key, `${key}: "${value}" is not true or false`);
    return lower === 'true';
  }
  if (key === 'messageDelayLevel' && !value.split(/\s+/).every((level) => DELAY_LEVEL.test(level))) {
    throw new BrokerConfigError(key, `${key}: "${value}" is not a list of levels like "1s 5s 1m 2h"`);
  }
  return value;
}

/**
 * Java `Properties.load`: `#`/`!` comment lines, `key=value`, `key:value` or `key value`, leading
 * whitespace dropped, a line ending in an odd number of backslashes continues on the next line
 * (its leading whitespace dropped), and the escapes \t \n \r \f \uXXXX. Later keys win.
 */
export function parseProperties(text: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const line of logicalLines(text)) {
    const { key, value } = splitKeyValue(line);
    result.set(unescape(key), unescape(value));
  }
  return result;
}

function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let pending: string | null = null;
  for (const physical of text.split(/\r\n|\r|\n/)) {
    const stripped = physical.replace(/^[ \t\f]+/, '');
    if (pending === null && (stripped === '' || stripped.startsWith('#') || stripped.startsWith('!'))) continue;
    const joined: string = (pending ?? '') + stripped;
    if (endsWithOddBackslashes(joined)) {
      pending = joined.slice(0, -1);
      continue;
    }
    pending = null;
    lines.push(joined);
  }
  if (pending !== null) lines.push(pending);
  return lines;
}

function endsWithOddBackslashes(line: string): boolean {
  let count = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i -= 1) count += 1;
  return count % 2 === 1;
}

function splitKeyValue(line: string): { key: string; value: string } {
  let i = 0;
  while (i < line.length) {
    const ch = line[i];
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === '=' || ch === ':' || ch === ' ' || ch === '\t' || ch === '\f') break;
    i += 1;
  }
  const key = line.slice(0, i);
  let rest = line.slice(i).replace(/^[ \t\f]+/, '');
  if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1).replace(/^[ \t\f]+/, '');
  return { key, value: rest };
}

function unescape(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_match, escaped: string) => {
    if (escaped.length === 5) return String.fromCharCode(parseInt(escaped.slice(1), 16));
    switch (escaped) {
      case 't':
        return '\t';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 'f':
        return '\f';
      default:
        return escaped;
    }
  });
}
