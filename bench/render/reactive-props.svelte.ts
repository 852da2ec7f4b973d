/**
 * `mount` props the page can change later: a `$state` object (typed arrays inside stay raw, as
 * Svelte proxies only plain objects and arrays).
 */
export function reactiveProps<T extends object>(initial: T): T {
  const props = $state(initial);
  return props;
}
