// Where the broker keeps its metadata files (Java `BrokerPathConfigHelper`); each is a
// ts/common/json-file.ts ConfigJsonFile. Depends on node:path.

import { join } from 'node:path';

/** Java `BrokerPathConfigHelper`: the metadata files under `<storePathRootDir>/config/`. */
export function brokerConfigFilePaths(storePathRootDir: string): {
  topicConfigPath: string;
  subscriptionGroupPath: string;
  consumerOffsetPath: string;
  delayOffsetPath: string;
  timerProgressPath: string;
  messageRequestModePath: string;
} {
  const dir = join(storePathRootDir, 'config');
  return {
    topicConfigPath: join(dir, 'topics.json'),
    subscriptionGroupPath: join(dir, 'subscriptionGroup.json'),
    consumerOffsetPath: join(dir, 'consumerOffset.json'),
    delayOffsetPath: join(dir, 'delayOffset.json'),
    timerProgressPath: join(dir, 'timerProgress.json'),
    messageRequestModePath: join(dir, 'messageRequestMode.json'),
  };
}
