/**
 * The explicit transactions open in this services process (BEGIN ... not yet COMMIT or
 * ROLLBACK), for SHOW TRANSACTIONS (show-transactions.ts). A SessionTransaction adds its
 * transaction at BEGIN and removes it when it ends, however it ends.
 *
 * Contract: `add` returns the removal (idempotent); `list` gives the open ones, oldest first.
 */

export type OpenTransactionInfo = {
  /** The transaction id (session-transaction.ts). */
  id: string;
  user: string;
  /** The session it belongs to: the caller's session id, or a SQL API request's id (the request is the session). */
  session: string;
  /** BEGIN ... NAME n, else a generated UUID, as in Snowflake. */
  name: string;
  startedAt: Date;
};

export class OpenTransactions {
  private readonly open = new Map<string, OpenTransactionInfo>();

  add(info: OpenTransactionInfo): () => void {
    this.open.set(info.id, info);
    return () => {
      this.open.delete(info.id);
    };
  }

  list(): OpenTransactionInfo[] {
    return [...this.open.values()];
  }
}
