/** Talks to the Meridian API over HTTP only, with the reader's bearer token. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const TOKEN_KEY = 'meridian.token';

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value: string) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

function headers(accept = 'application/json'): HeadersInit {
  const bearer = token.get();
  return { accept, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) };
}

export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: headers() });
  const body = await response.json().catch(() => undefined);
  if (!response.ok) throw new ApiError(response.status, body?.error?.code ?? 'http_error', body?.error?.message ?? `HTTP ${response.status}`);
  return body as T;
}

/** Downloads a report as CSV (a link cannot carry the bearer token, so fetch and save). */
export async function downloadCsv(path: string, filename: string): Promise<void> {
  const response = await fetch(path, { headers: headers('text/csv') });
  if (!response.ok) throw new ApiError(response.status, 'csv_failed', `CSV export failed (HTTP ${response.status})`);
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
