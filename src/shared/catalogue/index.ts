export * from './types';
export * from './definitions';
export * from './params';
