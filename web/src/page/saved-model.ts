// The last model trained in this page, kept in the browser (IndexedDB) so
// that it survives a reload: the page offers to resume it. Where IndexedDB
// is unavailable (some private modes), nothing is kept and nothing is offered.
import type { ModelSnapshot } from '../lab/protocol';

/** A snapshot as kept, with when. */
export interface SavedModel extends ModelSnapshot {
  /** ms since the epoch. */
  savedAt: number;
}

const database = 'latentlab';
const store = 'models';
const key = 'last';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(database, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(store);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Runs one request on the store and resolves to its result (undefined where IndexedDB fails). */
async function withStore<T>(
  mode: IDBTransactionMode,
  run: (models: IDBObjectStore) => IDBRequest<T>,
): Promise<T | undefined> {
  try {
    const db = await open();
    try {
      return await new Promise<T>((resolve, reject) => {
        const request = run(db.transaction(store, mode).objectStore(store));
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}

/** Keeps `snapshot` as the last trained model, replacing the one before. */
export async function keepModel(snapshot: ModelSnapshot): Promise<void> {
  const saved: SavedModel = { ...snapshot, savedAt: Date.now() };
  await withStore('readwrite', (models) => models.put(saved, key));
}

/** The last trained model kept, if any. */
export async function keptModel(): Promise<SavedModel | undefined> {
  const saved = await withStore<SavedModel | undefined>('readonly', (models) => models.get(key));
  return saved?.bytes instanceof Uint8Array && typeof saved.spec === 'string' ? saved : undefined;
}

export async function forgetModel(): Promise<void> {
  await withStore('readwrite', (models) => models.delete(key));
}
