import { migrate } from '../db/migrate.ts'
import { openDatabase, type Db } from '../db/open.ts'
import { messageOf, StartupError, systemCode } from './startup-error.ts'

/**
 * Opens the database and brings its schema up to date. What the user can fix (a folder that cannot
 * be created, a file that is not SQLite, another application's database, one from a newer emulator)
 * becomes a StartupError naming the file; the file is left as it was.
 */
export function openStore(path: string): Db {
  let db: Db
  try {
    db = openDatabase(path)
  } catch (error) {
    throw new StartupError(`cannot open the database '${path}': ${openFailure(error)}`, { cause: error })
  }
  try {
    if (isForeign(db))
      throw new StartupError(
        `'${path}' is not an emulator database (it holds another application's tables); choose another --db or --data-dir`,
      )
    migrate(db)
    return db
  } catch (error) {
    db.close()
    if (error instanceof StartupError) throw error
    throw new StartupError(`cannot use the database '${path}': ${messageOf(error)}`, { cause: error })
  }
}

/** A database never migrated (`user_version` 0) that already holds tables belongs to someone else. */
function isForeign(db: Db): boolean {
  if (db.pragma('user_version', { simple: true }) !== 0) return false
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' LIMIT 1").get() !== undefined
}

function openFailure(error: unknown): string {
  switch (systemCode(error)) {
    case 'SQLITE_NOTADB':
      return 'the file is not a SQLite database'
    case 'SQLITE_CORRUPT':
      return 'the file is damaged'
    case 'SQLITE_CANTOPEN':
      return 'it cannot be created or opened here (is the folder writable?)'
    case 'EISDIR':
      return 'it is a folder, not a database file'
    case 'EEXIST':
    case 'ENOTDIR':
      return 'a file stands where its folder should be'
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 'its folder cannot be created here (permission denied or read-only)'
    default:
      return messageOf(error)
  }
}
