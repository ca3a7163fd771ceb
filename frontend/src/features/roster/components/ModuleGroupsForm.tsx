import { Link } from 'react-router';
import { getModuleGroups, setModuleGroups } from '../api';
import { GroupsChecklist } from './GroupsChecklist';

/** Who a module is for: everyone, or the members of the groups ticked here. */
export function ModuleGroupsForm({ moduleId }: { moduleId: string }) {
  return (
    <GroupsChecklist
      subjectKey={moduleId}
      load={async (signal) => (await getModuleGroups(moduleId, signal)).groupIds}
      save={async (groupIds) => (await setModuleGroups(moduleId, groupIds)).groupIds}
      legend="Show this module to"
      hint="Tick none for every student."
      saveLabel="Save who sees it"
      savedText={(groupIds) =>
        groupIds.length === 0
          ? 'Saved: every student sees this module (once published).'
          : 'Saved: only members of the ticked groups see this module.'
      }
      noGroups={
        <p>
          For every student. To show it to some classes only, first import their class lists under{' '}
          <Link to="/admin/classes">Classes</Link>.
        </p>
      }
    />
  );
}
