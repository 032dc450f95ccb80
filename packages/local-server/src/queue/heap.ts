/**
 * A binary min-heap with the exact push/pop/heapify steps of CPython's `heapq`, so that the
 * array order of `/queue`'s `queue_pending` (which ComfyUI sends unsorted) matches the real server.
 */
export class PythonHeap<T> {
  readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    this.items.push(item);
    this.#siftDown(0, this.items.length - 1);
  }

  pop(): T | undefined {
    const last = this.items.pop();
    if (last === undefined || this.items.length === 0) return last;
    const top = this.items[0] as T;
    this.items[0] = last;
    this.#siftUp(0);
    return top;
  }

  /** Removes the item at `index` the way ComfyUI does (`list.pop(i)` then `heapify`). */
  removeAt(index: number): void {
    this.items.splice(index, 1);
    this.heapify();
  }

  clear(): void {
    this.items.length = 0;
  }

  heapify(): void {
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.#siftUp(i);
  }

  #siftDown(start: number, pos: number): void {
    const items = this.items;
    const item = items[pos] as T;
    while (pos > start) {
      const parentPos = (pos - 1) >> 1;
      const parent = items[parentPos] as T;
      if (this.less(item, parent)) {
        items[pos] = parent;
        pos = parentPos;
        continue;
      }
      break;
    }
    items[pos] = item;
  }

  #siftUp(pos: number): void {
    const items = this.items;
    const end = items.length;
    const start = pos;
    const item = items[pos] as T;
    let child = 2 * pos + 1;
    while (child < end) {
      const right = child + 1;
      if (right < end && !this.less(items[child] as T, items[right] as T)) child = right;
      items[pos] = items[child] as T;
      pos = child;
      child = 2 * pos + 1;
    }
    items[pos] = item;
    this.#siftDown(start, pos);
  }
}
