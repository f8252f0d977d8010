/** Housekeeping for test runs and benchmarks, which each own an index prefix. */
export async function deleteIndicesWithPrefix(searchUrl: string, prefix: string): Promise<void> {
  // An empty prefix would mean every index on the cluster.
  if (!prefix) throw new Error('refusing to delete indices without a prefix');
  const response = await fetch(new URL(`/_cat/indices/${prefix}*?format=json`, searchUrl));
  const indices = (await response.json()) as Array<{ index: string }>;
  for (const { index } of indices) await fetch(new URL(`/${index}`, searchUrl), { method: 'DELETE' });
}
