/** A WHERE clause built from parts, with positional parameters ($1, $2, …) kept in step. */
export class SqlFilter {
  private readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  /** Adds a clause; each `?` in it becomes the next positional parameter. */
  and(clause: string, ...values: unknown[]): this {
    let i = 0;
    const sql = clause.replace(/\?/g, () => {
      this.params.push(values[i++]);
      return `$${this.params.length}`;
    });
    this.clauses.push(`(${sql})`);
    return this;
  }

  /** The next positional parameter's placeholder, for LIMIT/OFFSET after the clauses. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  get where(): string {
    return this.clauses.length > 0 ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}
