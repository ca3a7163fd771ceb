import { Link } from 'react-router';
import { getUserGroups, setUserGroups } from '../api';
import { GroupsChecklist } from './GroupsChecklist';

/**
 * The groups a person is in. A module for some groups only is shown to their members, so a
 * student who changes class is moved here, and sees the new class's modules at once.
 */
export function UserGroupsForm({ userId }: { userId: string }) {
  return (
    <GroupsChecklist
      subjectKey={userId}
      load={async (signal) => (await getUserGroups(userId, signal)).groupIds}
      save={async (groupIds) => (await setUserGroups(userId, groupIds)).groupIds}
      legend="Member of"
      hint="Modules for some groups only are shown to their members; modules for everyone always are."
      saveLabel="Save groups"
      savedText={(groupIds) =>
        groupIds.length === 0
          ? 'Saved: in no group. They see the modules that are for everyone.'
          : `Saved: in ${groupIds.length === 1 ? 'one group' : `${groupIds.length} groups`}. They see its modules and those for everyone.`
      }
      noGroups={
        <p>
          No groups yet. Groups come from class lists under <Link to="/admin/classes">Classes</Link>
          .
        </p>
      }
    />
  );
}
