/**
 * The set of visited states' 64-bit keys: open addressing (linear probing) over one Uint32Array,
 * two words a key, doubled when half full. At most 32 bytes a state and nothing for the garbage
 * collector to trace, against ~100 for a Set of 16-character hex strings. The key 0 marks an empty
 * slot, so a state whose hash is 0 is stored as 1 (one more way to collide, of 2⁶⁴).
 */
export class KeySet {
  private slots = new Uint32Array(2 * 1024);
  private mask = 1023;
  size = 0;

  has(hi: number, lo: number): boolean {
    return this.find(hi >>> 0, lo >>> 0 || (hi === 0 ? 1 : 0)) < 0;
  }

  /** Adds the key; false if it was there already. */
  add(hi: number, lo: number): boolean {
    hi >>>= 0;
    lo = lo >>> 0 || (hi === 0 ? 1 : 0);
    const i = this.find(hi, lo);
    if (i < 0) return false;
    this.slots[2 * i] = hi;
    this.slots[2 * i + 1] = lo;
    if (++this.size * 2 > this.mask + 1) this.grow();
    return true;
  }

  /** -1 if the key is present, else the empty slot where it goes. */
  private find(hi: number, lo: number): number {
    const s = this.slots;
    for (let i = (Math.imul(hi ^ lo, 0x9e3779b1) >>> 0) & this.mask; ; i = (i + 1) & this.mask) {
      const a = s[2 * i]!;
      const b = s[2 * i + 1]!;
      if (a === hi && b === lo) return -1;
      if (a === 0 && b === 0) return i;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.mask = this.mask * 2 + 1;
    this.size = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0 || old[i + 1] !== 0) this.add(old[i]!, old[i + 1]!);
  }
}
