import { defineResource } from '../resource';
import * as add from './add.operation';
import * as getAll from './getAll.operation';
import * as remove from './remove.operation';

export const participant = defineResource('Participant', 'participant', [add, getAll, remove]);
