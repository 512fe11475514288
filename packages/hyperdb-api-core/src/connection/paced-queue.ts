import { type Deferred, deferred } from "./deferred.ts";

/** How a queue stops and restarts its producer (the connection's socket). */
export interface FlowControl {
  pause(): void;
  resume(): void;
}

/**
 * A buffer between a producer that pushes (the socket's data handler) and a consumer that
 * pulls (an async iterator), paced by the consumer: above `highWater` buffered units the
 * producer is paused, and it is resumed once the consumer has taken the buffer below half.
 */
export class PacedQueue<T> {
  private readonly items: T[] = [];
  private readonly highWater: number;
  private readonly measure: (item: T) => number;
  private flow: FlowControl | null = null;
  private buffered = 0;
  private paused = false;
  private waiter: Deferred<void> | null = null;
  private ended = false;
  private failure: Error | null = null;

  constructor(highWater: number, measure: (item: T) => number) {
    this.highWater = highWater;
    this.measure = measure;
  }

  /** Connects the producer's pause and resume, once it exists. */
  attach(flow: FlowControl): void {
    this.flow = flow;
  }

  /** True while the consumer has not taken everything it will get. */
  get isOpen(): boolean {
    return !this.ended || this.items.length > 0;
  }

  /** True while a consumer is waiting for the next item. */
  get hasWaitingConsumer(): boolean {
    return this.waiter !== null;
  }

  push(item: T): void {
    this.items.push(item);
    this.buffered += this.measure(item);
    if (!this.paused && this.buffered >= this.highWater) {
      this.paused = true;
      this.flow?.pause();
    }
    this.wake();
  }

  /** No more items will come; `failure`, if given, is thrown after the buffered items. */
  end(failure: Error | null = null): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = failure;
    this.unpause();
    this.wake();
  }

  /** Drops every buffered item and lets the producer run again. */
  discard(): void {
    this.items.length = 0;
    this.buffered = 0;
    this.unpause();
  }

  /** The next item, or null once the queue ended; throws the failure it ended with. */
  async next(): Promise<T | null> {
    for (;;) {
      const item = this.items.shift();
      if (item !== undefined) {
        this.buffered -= this.measure(item);
        if (this.paused && this.buffered <= this.highWater / 2) this.unpause();
        return item;
      }
      if (this.ended) {
        if (this.failure !== null) throw this.failure;
        return null;
      }
      this.waiter = deferred();
      await this.waiter.promise;
    }
  }

  private unpause(): void {
    if (!this.paused) return;
    this.paused = false;
    this.flow?.resume();
  }

  private wake(): void {
    const waiter = this.waiter;
    if (waiter !== null) {
      this.waiter = null;
      waiter.resolve();
    }
  }
}
