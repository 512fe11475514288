/** SQLSTATE codes that hyperd uses and that callers commonly branch on. */
export const SqlState = {
  successfulCompletion: "00000",
  featureNotSupported: "0A000",
  invalidTransactionState: "25000",
  inFailedTransaction: "25P02",
  insufficientPrivilege: "42501",
  syntaxError: "42601",
  undefinedTable: "42P01",
  duplicateTable: "42P07",
  duplicateDatabase: "42P04",
  duplicateObject: "42710",
  numericValueOutOfRange: "22003",
  divisionByZero: "22012",
  invalidTextRepresentation: "22P02",
  badCopyFileFormat: "22P04",
  queryCanceled: "57014",
  adminShutdown: "57P01",
  crashShutdown: "57P02",
  objectInUse: "55006",
  ioError: "58030",
  undefinedFile: "58S01",
} as const;

export type KnownSqlState = (typeof SqlState)[keyof typeof SqlState];
