// Lifecycle: components are constructed with what they need, started in dependency order and
// stopped in reverse, through one small API shared by the registry and the broker. A failed start
// stops what had already started. Depends on logger.ts.

import type { Logger } from './logger.js';

/** Anything with a start and a stop: a server, a timer service, the store. */
export interface Component {
  readonly name: string;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}

export class Lifecycle {
  private readonly components: Component[] = [];
  private readonly started: Component[] = [];
  private state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';

  constructor(private readonly logger: Logger) {}

  /** Adds a component; components start in the order they are added. */
  add<T extends Component>(component: T): T {
    if (this.state !== 'new') throw new Error(`cannot add ${component.name}: the lifecycle is ${this.state}`);
    this.components.push(component);
    return component;
  }

  get isRunning(): boolean {
    return this.state === 'running';
  }

  /** Starts every component in order; on a failure, stops those started (in reverse) and rethrows. */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`the lifecycle is ${this.state}`);
    this.state = 'starting';
    for (const component of this.components) {
      try {
        await component.start();
        this.started.push(component);
        this.logger.debug('started', { component: component.name });
      } catch (error) {
        this.logger.error('start failed', { component: component.name, error: String(error) });
        await this.stop();
        throw error;
      }
    }
    this.state = 'running';
  }

  /** Stops the started components in reverse order; a failing stop is logged and the rest still stop. */
  async stop(): Promise<void> {
    if (this.state === 'stopping' || this.state === 'stopped') return;
    this.state = 'stopping';
    for (const component of this.started.splice(0).reverse()) {
      try {
        await component.stop();
        this.logger.debug('stopped', { component: component.name });
      } catch (error) {
        this.logger.error('stop failed', { component: component.name, error: String(error) });
      }
    }
    this.state = 'stopped';
  }

  /** Stops gracefully on SIGTERM or SIGINT; a second signal exits at once. Returns a remover. */
  stopOnSignals(onStopped: (exitCode: number) => void): () => void {
    let stopping = false;
    const handler = (signal: NodeJS.Signals): void => {
      if (stopping) {
        onStopped(1);
        return;
      }
      stopping = true;
      this.logger.info('stopping', { signal });
      this.stop().then(
        () => onStopped(0),
        () => onStopped(1),
      );
    };
    process.on('SIGTERM', handler);
    process.on('SIGINT', handler);
    return () => {
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
    };
  }
}
