import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	thread: 'get';
	participant: 'remove';
};

export type AcsChatType = AllEntities<NodeMap>;
