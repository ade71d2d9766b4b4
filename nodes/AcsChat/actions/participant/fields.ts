import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { describeRawIdProblem } from '../../helpers/identifiers';
import type { CheckedParameter } from '../../helpers/parameters';

export const participantIdParameter: CheckedParameter = {
	name: 'participantId',
	displayName: 'Participant ID',
	describeProblem: describeRawIdProblem,
};

/** The Participant ID field, worded for what the operation does with the participant ('add', 'remove'). */
export function participantIdField(verb: string): INodeProperties {
	return {
		displayName: 'Participant ID',
		name: 'participantId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '8:acs:…',
		description: `The raw ID of the participant to ${verb}: an ACS user (8:acs:…), a phone number (4:+14255550123), a Teams user (8:orgid:…, 8:teamsvisitor:…) or a Teams app (28:orgid:…). Participant → Get Many lists a thread's participants with their raw IDs.`,
	};
}

/** One participant as Create Thread and Add Participants send it, keys in the order the SDK sends them. */
export interface ChatParticipant extends IDataObject {
	communicationIdentifier: IDataObject;
	displayName?: string;
	shareHistoryTime?: string;
	metadata?: IDataObject;
}
