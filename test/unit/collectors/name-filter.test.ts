import { describe, expect, it } from 'vitest';
import { nameFilter } from '../../../src/collectors/name-filter';

describe('nameFilter', () => {
  it('matches whole names with a regex or a pattern string', () => {
    for (const spec of [/orders|payments/, 'orders|payments']) {
      const include = nameFilter('topics', spec);
      expect(['orders', 'payments', 'orders-dlq', 'my-orders'].filter(include)).toEqual([
        'orders',
        'payments',
      ]);
    }
  });

  it('matches exact names from a list, and everything when absent', () => {
    expect(['a', 'b', 'c'].filter(nameFilter('groups', ['a', 'c']))).toEqual(['a', 'c']);
    expect(['a', 'b'].filter(nameFilter('groups', undefined))).toEqual(['a', 'b']);
  });

  it('ignores global and sticky flags that would make matching stateful', () => {
    const include = nameFilter('topics', /orders/g);
    expect([include('orders'), include('orders'), include('orders')]).toEqual([true, true, true]);
  });

  it('rejects an invalid pattern with a message naming the option', () => {
    expect(() => nameFilter('topics', 'orders(')).toThrow(
      /topics: 'orders\(' is not a valid regular expression/,
    );
    expect(() => nameFilter('groups', 42 as unknown as string)).toThrow(/groups must be/);
  });
});
