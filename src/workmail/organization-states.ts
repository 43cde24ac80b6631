// The states of a WorkMail organization that Godwit uses: it is created Active (no directory
// to provision) and marked Deleted, never removed, so that its id keeps answering.
export const ACTIVE = 'Active';
export const DELETED = 'Deleted';
