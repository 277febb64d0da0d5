/**
 * The built-in stack modules, by name. A profile names one of these, or gives the path of its
 * own stack module instead (README, "Your own stack"): adding a stack never edits src/.
 */
import meqenet from './meqenet.ts';
import reloop from './reloop.ts';

export const BUILT_IN_STACKS = { meqenet, reloop };
