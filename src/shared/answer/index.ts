/** The answer first: the matrix, its plain lines and the words they use. */
export * from './matrix';
export * from './lines';
export * from './words';
export * from './markdown';
export * from './compare';
export * from './timed';
