import type { PolicyDocument } from './policy-types';

/**
 * The AWS managed policies a stack may attach, with their statements as the AWS Managed Policy Reference Guide
 * gives them (pages "AWSLambdaBasicExecutionRole", "AWSLambdaSQSQueueExecutionRole"). Any other managed policy
 * stops startup naming it: a permission the local stack cannot read would pass unseen.
 */
export const MANAGED_POLICIES: Readonly<Record<string, PolicyDocument>> = {
  'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole': {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
  },
  'arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole': {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
  },
};

/** What the account's administrator (the user's own credentials) may do: the AdministratorAccess managed policy. */
export const ADMINISTRATOR_ACCESS: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** KMS Developer Guide, "Default key policy": without a policy of its own a key lets the account's IAM policies decide. */
export const defaultKeyPolicy = (accountId: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' }],
});

/**
 * SNS Developer Guide, "Example cases for Amazon SNS access control": a topic created without a policy gets the
 * default one, which lets principals of the owning account (AWS:SourceOwner) publish, subscribe and manage it.
 */
export const defaultTopicPolicy = (topicArn: string, accountId: string): PolicyDocument => ({
  Version: '2008-10-17',
  Statement: [
    {
      Sid: '__default_statement_ID',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
      Resource: topicArn,
      Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
    },
  ],
});
