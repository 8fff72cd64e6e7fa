/** What the assembler throws for source it cannot assemble, naming the line. */
export class AsmError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = "AsmError";
  }
}
