# Run by IPython at kernel start (PYTHONSTARTUP, set in jupyter-lite.json), in the student's
# namespace: import, install, leave no name behind.
import hintbook_workspace

hintbook_workspace.install()
del hintbook_workspace
