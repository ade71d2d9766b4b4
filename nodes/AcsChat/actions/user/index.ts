import { defineResource } from '../resource';
import * as create from './create.operation';
import * as deleteUser from './delete.operation';
import * as issueToken from './issueToken.operation';
import * as revokeTokens from './revokeTokens.operation';

export const user = defineResource('User', 'user', [create, deleteUser, issueToken, revokeTokens]);
