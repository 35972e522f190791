export * from './coerce';
export * from './form-error';
export * from './form-fields';
export * from './form-validation';
